"""The AHP maths (appraisal/ahp.py) checked against published examples and against an independent
computation: the characteristic polynomial's largest root and its null vector, not power iteration."""

from math import isclose

import pytest
from django.utils import translation

from amdesk.appraisal import ahp as ahp_module
from amdesk.appraisal.ahp import (
    MatrixError,
    ahp,
    disagreements,
    from_upper,
    judgment,
    nearest_saaty,
    resized,
    upper_of,
    validate_matrix,
)

SAATY_3 = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
# Criteria judged in a circle (1 ≫ 2, 2 ≫ 3, 4 ≫ 1 …): far from consistent.
INCONSISTENT_4 = [[1, 5, 1 / 3, 7], [1 / 5, 1, 1 / 7, 3], [3, 7, 1, 1 / 5], [1 / 7, 1 / 3, 5, 1]]
INCONSISTENT_5 = from_upper([[9, 1 / 9, 5, 1 / 7], [9, 1 / 5, 3], [1 / 9, 7], [1 / 3]], 5)
RI = {1: 0, 2: 0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}


# An independent reference: λmax as the largest real root of det(A − λI) (Faddeev–LeVerrier and
# bisection), the weights as the normalised null vector of A − λmax·I (Gaussian elimination).
def _char_poly(a):
    n = len(a)
    coefficients = [1.0]
    m = [[0.0] * n for _ in range(n)]
    c = 1.0
    for k in range(1, n + 1):
        am = [[sum(a[i][t] * m[t][j] for t in range(n)) for j in range(n)] for i in range(n)]
        m = [[am[i][j] + (c if i == j else 0.0) for j in range(n)] for i in range(n)]
        am = [[sum(a[i][t] * m[t][j] for t in range(n)) for j in range(n)] for i in range(n)]
        c = -sum(am[i][i] for i in range(n)) / k
        coefficients.append(c)
    return coefficients  # λ^n + c1 λ^(n-1) + … + cn


def _largest_root(coefficients, n):
    def p(x):
        return sum(c * x ** (n - i) for i, c in enumerate(coefficients))

    low, high = float(n) - 1e-9, float(n) * 10  # λmax ≥ n for a positive reciprocal matrix
    for _ in range(200):
        mid = (low + high) / 2
        # p > 0 above the largest root (leading coefficient 1)
        low, high = (low, mid) if p(mid) > 0 else (mid, high)
    return (low + high) / 2


def _null_vector(a, lam):
    n = len(a)
    m = [[a[i][j] - (lam if i == j else 0.0) for j in range(n)] for i in range(n)]
    # w_n = 1; solve the first n−1 rows for w_1…w_{n−1}
    rows = [m[i][: n - 1] + [-m[i][n - 1]] for i in range(n - 1)]
    for col in range(n - 1):
        pivot = max(range(col, n - 1), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n - 1):
            if r != col:
                f = rows[r][col] / rows[col][col]
                rows[r] = [x - f * y for x, y in zip(rows[r], rows[col], strict=True)]
    w = [rows[i][n - 1] / rows[i][i] for i in range(n - 1)] + [1.0]
    total = sum(w)
    return [x / total for x in w]


def _reference(a):
    n = len(a)
    lam = _largest_root(_char_poly(a), n)
    ci = (lam - n) / (n - 1)
    return _null_vector(a, lam), lam, ci, ci / RI[n]


def test_saatys_classic_three_by_three():
    result = ahp(SAATY_3)
    # Published: 0.637 / 0.258 / 0.105, λmax 3.039, CR 0.033.
    assert [round(w, 3) for w in result.weights] == [0.637, 0.258, 0.105]
    assert round(result.lambda_max, 3) == 3.039
    assert round(result.cr, 3) == 0.033
    # A 3×3 reciprocal matrix has λmax = 1 + x^⅓ + x^−⅓ with x = a12·a23 / a13 (closed form).
    x = 3 * 3 / 5
    lam = 1 + x ** (1 / 3) + x ** (-1 / 3)
    assert isclose(result.lambda_max, lam, abs_tol=1e-9)
    assert isclose(result.ci, (lam - 3) / 2, abs_tol=1e-9)
    assert isclose(result.cr, (lam - 3) / 2 / 0.58, abs_tol=1e-9)
    weights, *_ = _reference(SAATY_3)
    assert all(isclose(a, b, abs_tol=1e-9) for a, b in zip(result.weights, weights, strict=True))
    assert isclose(sum(result.weights), 1.0, abs_tol=1e-12)
    assert result.consistent(0.10)


@pytest.mark.parametrize("matrix", [INCONSISTENT_4, INCONSISTENT_5], ids=["4x4", "5x5"])
def test_inconsistent_matrices_match_the_reference_and_fail_the_threshold(matrix):
    result = ahp(matrix)
    weights, lam, ci, cr = _reference(matrix)
    assert isclose(result.lambda_max, lam, abs_tol=1e-8)
    assert isclose(result.ci, ci, abs_tol=1e-8)
    assert isclose(result.cr, cr, abs_tol=1e-8)
    assert all(isclose(a, b, abs_tol=1e-8) for a, b in zip(result.weights, weights, strict=True))
    assert result.cr >= 0.10
    assert not result.consistent(0.10)


def test_a_perfectly_consistent_matrix_has_cr_zero_and_the_exact_weights():
    # Weights 4:2:1:1 → a_ij = w_i / w_j exactly.
    w = [4, 2, 1, 1]
    result = ahp([[w[i] / w[j] for j in range(4)] for i in range(4)])
    assert all(isclose(a, b / 8, abs_tol=1e-12) for a, b in zip(result.weights, w, strict=True))
    assert isclose(result.lambda_max, 4, abs_tol=1e-9)
    assert result.cr == pytest.approx(0, abs=1e-9)
    assert disagreements([[w[i] / w[j] for j in range(4)] for i in range(4)], result.weights) == []


@pytest.mark.parametrize("matrix", [[[1]], [[1, 7], [1 / 7, 1]], [[1, 1 / 9], [9, 1]]])
def test_one_or_two_items_are_always_consistent(matrix):
    result = ahp(matrix)
    assert result.cr == 0 and result.ci == 0
    assert isclose(sum(result.weights), 1.0)
    if len(matrix) == 2:
        assert isclose(result.weights[0] / result.weights[1], matrix[0][1], rel_tol=1e-9)


def test_random_index_table_is_saatys():
    assert ahp_module.RANDOM_INDEX[1:] == (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
    # and each order uses its own: a 10×10 in a circle is divided by 1.49
    n = 10
    upper = [[9 if j == i + 1 else 1 for j in range(i + 1, n)] for i in range(n - 1)]
    upper[0][-1] = 1 / 9  # the last beats the first
    matrix = from_upper(upper, n)
    result = ahp(matrix)
    assert isclose(result.cr, result.ci / 1.49, rel_tol=1e-12)
    _w, lam, _ci, _cr = _reference(matrix)
    assert isclose(result.lambda_max, lam, abs_tol=1e-7)


@pytest.mark.parametrize(
    "matrix, says",
    [
        ([], "non-empty"),
        ("1,2", "non-empty"),
        ([[1, 2], [0.5]], "not square"),
        ([[1, 2, 3], [0.5, 1, 2]], "not square"),
        ([[1, 0], [0, 1]], "positive"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[1, 2], [2, 1]], "not reciprocal"),
        ([[1, 3], [0.3333, 1]], "not reciprocal"),  # off by 3e-5, more than 1e-6
        ([[2, 1], [1, 1]], "diagonal"),
        ([[1, "3"], [1 / 3, 1]], "not a number"),
        ([[1, None], [1, 1]], "not a number"),
        ([[1, True], [1, 1]], "not a number"),
        ([[1, float("nan")], [1, 1]], "not a number"),
        ([[1, float("inf")], [0, 1]], "not a number"),
        ([[1, 10**400], [1, 1]], "not a number"),  # too large for a float
        ([[1.0] * 11 for _ in range(11)], "at most 10"),
        ([[1, 1e300], [1e-300, 1]], "between 1/1000 and 1000"),  # would overflow the iteration
        ([[1, 1001], [1 / 1001, 1]], "between 1/1000 and 1000"),
    ],
)
def test_invalid_matrices_are_refused_with_the_reason(matrix, says):
    with translation.override("en"), pytest.raises(MatrixError, match=says):
        ahp(matrix)


def test_the_reason_is_in_chinese_by_default():
    with translation.override("zh-hans"), pytest.raises(MatrixError, match="互反"):
        ahp([[1, 2], [2, 1]])


def test_reciprocal_within_a_millionth_is_accepted():
    third = 1 / 3 + 5e-7
    assert ahp([[1, 3], [third, 1]]).cr == 0
    assert ahp([[1, 1000], [0.001, 1]]).weights[0] == pytest.approx(1000 / 1001)


def test_from_upper_fills_in_reciprocals():
    full = from_upper([["3", "1/5"], [1 / 7]], 3)
    assert full == [[1.0, 3.0, 0.2], [1 / 3, 1.0, 1 / 7], [5.0, 7.0, 1.0]]
    assert validate_matrix(full) == full
    assert upper_of(full) == [[3.0, 0.2], [1 / 7]]
    assert from_upper([], 1) == [[1.0]]


@pytest.mark.parametrize(
    "upper, says",
    [
        ([[3]], "row by row"),  # 3 items need two rows
        ([[3], [3]], "needs 2"),
        ([[3, 0], [2]], "Saaty"),
        ([[3, 10], [2]], "Saaty"),
        ([[3, 0.3], [2]], "Saaty"),
        ([[3, "x"], [2]], "Saaty"),
        ([[3, "1/0"], [2]], "Saaty"),
    ],
)
def test_from_upper_refuses_what_is_not_on_the_scale(upper, says):
    with translation.override("en"), pytest.raises(MatrixError, match=says):
        from_upper(upper, 3)


def test_judgment_reads_the_scale_as_numbers_and_fractions():
    assert judgment("1/9") == 1 / 9
    assert judgment(" 7 ") == 7
    assert judgment(0.333) == 1 / 3
    assert judgment(2) == 2
    with pytest.raises(MatrixError):
        judgment(True)


def test_nearest_saaty_is_symmetric_on_a_log_scale():
    assert nearest_saaty(2.9) == 3
    assert nearest_saaty(1 / 2.9) == 1 / 3
    assert nearest_saaty(40) == 9
    assert nearest_saaty(1.4) == 1  # log 1.4 < log(2/1.4)


def test_disagreements_point_at_the_judgment_that_breaks_consistency():
    # Given a consistent 4×4 (weights 8:4:2:1) with one judgment turned around: a_14 = 1/8 not 8
    w = [8, 4, 2, 1]
    matrix = [[w[i] / w[j] for j in range(4)] for i in range(4)]
    matrix[0][3], matrix[3][0] = 1 / 8, 8
    result = ahp(matrix)
    # When the disagreements are asked for
    found = disagreements(matrix, result.weights)
    # Then the turned judgment comes first, and the suggestion points back the right way
    assert 1 <= len(found) <= 3
    worst = found[0]
    assert (worst.row, worst.column) == (0, 3)
    assert worst.judged == 1 / 8
    assert worst.suggested > worst.judged
    # and taking the suggestion makes the matrix more consistent
    mended = [row[:] for row in matrix]
    mended[0][3], mended[3][0] = worst.suggested, 1 / worst.suggested
    assert ahp(mended).cr < result.cr
    assert isclose(worst.implied, result.weights[0] / result.weights[3])
    assert worst.ratio == max(worst.judged / worst.implied, worst.implied / worst.judged)
    assert [d.ratio for d in found] == sorted((d.ratio for d in found), reverse=True)
    assert len(disagreements(matrix, result.weights, limit=1)) == 1


def test_resized_keeps_judgments_and_adds_ones():
    full = from_upper([[3, 5], [2]], 3)
    # drop the middle item, add a new one at the end
    assert resized(full, [0, 2, None]) == [[1.0, 5.0, 1.0], [0.2, 1.0, 1.0], [1.0, 1.0, 1.0]]
    assert resized([], [None]) == [[1.0]]
