"""The analytic hierarchy process (AHP) on Saaty's 1–9 scale: weights from a pairwise judgment
matrix, its consistency, and which judgments disagree most with the weights.

Pure Python: n ≤ 10, so power iteration on the positive (Perron) matrix converges in a few dozen
steps and needs no numerical library."""

from dataclasses import dataclass
from math import isfinite, log

from django.utils.translation import gettext as _

MAX_ORDER = 10
# Saaty's random consistency index for n = 1…10 (the table).
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
RECIPROCAL_TOLERANCE = 1e-6
# Far beyond Saaty's 9, and keeps the arithmetic finite (an entry of 1e300 overflows the iteration).
MAX_ENTRY = 1000.0
SAATY_VALUES = (1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9)


def is_number(value) -> bool:
    """A finite int or float (not a bool); an int too large for a float is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return isfinite(value)
    except OverflowError:  # e.g. 10**400 from a JSON body
        return False


class MatrixError(ValueError):
    """A judgment matrix that is not one; the message says why, in the user's language."""


@dataclass(frozen=True)
class AhpResult:
    weights: list[float]
    lambda_max: float
    ci: float
    cr: float

    def consistent(self, threshold: float = 0.10) -> bool:
        return self.cr < threshold


@dataclass(frozen=True)
class Disagreement:
    """Judgment a_ij against what the weights imply (w_i / w_j): the larger the ratio, the more it
    pulls the matrix off consistency; `suggested` is the nearest Saaty value to w_i / w_j."""

    row: int
    column: int
    judged: float
    implied: float
    ratio: float
    suggested: float


def validate_matrix(matrix) -> list[list[float]]:
    """The matrix as floats, or MatrixError: square, 1…10 rows, positive finite entries, ones on the
    diagonal, reciprocal within 1e-6."""
    if not isinstance(matrix, list | tuple) or not matrix:
        raise MatrixError(_("The matrix must be a non-empty list of rows."))
    n = len(matrix)
    if n > MAX_ORDER:
        raise MatrixError(_("The matrix may have at most %(max)d rows.") % {"max": MAX_ORDER})
    rows: list[list[float]] = []
    for i, row in enumerate(matrix):
        if not isinstance(row, list | tuple) or len(row) != n:
            raise MatrixError(
                _("The matrix is not square: row %(row)d does not have %(n)d entries.")
                % {"row": i + 1, "n": n}
            )
        values = []
        for j, entry in enumerate(row):
            if not is_number(entry):
                raise MatrixError(
                    _("Entry (%(row)d, %(col)d) is not a number.") % {"row": i + 1, "col": j + 1}
                )
            if entry <= 0:
                raise MatrixError(
                    _("Entry (%(row)d, %(col)d) must be positive.") % {"row": i + 1, "col": j + 1}
                )
            if not 1 / MAX_ENTRY - 1e-12 <= entry <= MAX_ENTRY:
                raise MatrixError(
                    _("Entry (%(row)d, %(col)d) must lie between 1/1000 and 1000.")
                    % {"row": i + 1, "col": j + 1}
                )
            values.append(float(entry))
        rows.append(values)
    for i in range(n):
        if abs(rows[i][i] - 1.0) > RECIPROCAL_TOLERANCE:
            raise MatrixError(_("The diagonal must be 1: entry (%(i)d, %(i)d) is not.") % {"i": i + 1})
        for j in range(i + 1, n):
            if abs(rows[j][i] - 1.0 / rows[i][j]) > RECIPROCAL_TOLERANCE:
                raise MatrixError(
                    _("The matrix is not reciprocal: entry (%(j)d, %(i)d) must be 1/%(value)s.")
                    % {"i": i + 1, "j": j + 1, "value": f"{rows[i][j]:g}"}
                )
    return rows


def judgment(raw) -> float:
    """One judgment on Saaty's scale, given as a number or as text ("3", "1/3", "0.333"): the exact
    scale value, or MatrixError. Text such as "1/3" is how the editor's selects post reciprocals."""
    value = raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            if "/" in text:
                top, bottom = text.split("/", 1)
                value = float(top) / float(bottom)
            else:
                value = float(text)
        except (ValueError, ZeroDivisionError):
            value = None
    if not is_number(value):
        raise MatrixError(_("A judgment must be a number on Saaty's scale, 1/9 to 9."))
    for candidate in SAATY_VALUES:
        # 1e-3 relative: "0.333" and 1/3 are the same judgment; 0.3 is not one.
        if abs(value / candidate - 1.0) < 1e-3:
            return candidate
    raise MatrixError(
        _("%(value)s is not on Saaty's scale: give 1 to 9 or 1/2 to 1/9.") % {"value": str(raw)[:20]}
    )


def from_upper(upper, n: int) -> list[list[float]]:
    """The full matrix from the judgments above the diagonal: upper[i] holds a_i,i+1 … a_i,n-1
    (n − 1 − i values; the last, empty row may be left out). Reciprocals are filled in below."""
    if not 1 <= n <= MAX_ORDER:
        raise MatrixError(_("The matrix may have at most %(max)d rows.") % {"max": MAX_ORDER})
    if not isinstance(upper, list | tuple) or len(upper) not in (n - 1, n):
        raise MatrixError(_("Give the judgments above the diagonal, row by row."))
    full = [[1.0] * n for _ in range(n)]
    for i in range(n - 1):
        row = upper[i]
        if not isinstance(row, list | tuple) or len(row) != n - 1 - i:
            raise MatrixError(
                _("Row %(row)d above the diagonal needs %(count)d judgments.")
                % {"row": i + 1, "count": n - 1 - i}
            )
        for offset, raw in enumerate(row):
            j = i + 1 + offset
            value = judgment(raw)
            full[i][j] = value
            full[j][i] = 1.0 / value
    if len(upper) == n and upper[n - 1]:
        raise MatrixError(
            _("Row %(row)d above the diagonal needs %(count)d judgments.") % {"row": n, "count": 0}
        )
    return full


def upper_of(matrix) -> list[list[float]]:
    """The judgments above the diagonal of a full matrix (what the editor shows)."""
    return [list(row[i + 1 :]) for i, row in enumerate(matrix[:-1])]


def resized(matrix, keep: list[int]) -> list[list[float]]:
    """The matrix of the items at the old positions `keep` (None: a new item), in that order; the
    judgments between kept items stay, those with a new item are 1 (equally important)."""
    return [[1.0 if a is None or b is None else float(matrix[a][b]) for b in keep] for a in keep]


def ahp(matrix) -> AhpResult:
    rows = validate_matrix(matrix)
    n = len(rows)
    if n == 1:
        return AhpResult(weights=[1.0], lambda_max=1.0, ci=0.0, cr=0.0)
    weights = [1.0 / n] * n
    for _step in range(1000):
        product = [sum(rows[i][j] * weights[j] for j in range(n)) for i in range(n)]
        total = sum(product)
        following = [value / total for value in product]
        done = max(abs(a - b) for a, b in zip(following, weights, strict=True)) < 1e-13
        weights = following
        if done:
            break
    product = [sum(rows[i][j] * weights[j] for j in range(n)) for i in range(n)]
    lambda_max = sum(product[i] / weights[i] for i in range(n)) / n
    ci = max((lambda_max - n) / (n - 1), 0.0)
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri else 0.0
    return AhpResult(weights=weights, lambda_max=lambda_max, ci=ci, cr=cr)


def nearest_saaty(value: float) -> float:
    """The scale value nearest to `value` on a log scale (3 and 1/3 are equally far from 1)."""
    return min(SAATY_VALUES, key=lambda candidate: abs(log(candidate / value)))


def disagreements(matrix, weights: list[float], limit: int = 3) -> list[Disagreement]:
    """The judgments above the diagonal that disagree most with the weights, worst first: those whose
    nearest scale value to w_i / w_j differs from what was judged (a judgment already as close as
    the scale allows has nothing to suggest)."""
    rows = validate_matrix(matrix)
    n = len(rows)
    if len(weights) != n or any(weight <= 0 for weight in weights):
        raise ValueError("one positive weight per row")
    found = []
    for i in range(n):
        for j in range(i + 1, n):
            implied = weights[i] / weights[j]
            judged = rows[i][j]
            ratio = max(judged / implied, implied / judged)
            suggested = nearest_saaty(implied)
            if abs(suggested / judged - 1.0) > 1e-6:
                found.append(Disagreement(i, j, judged, implied, ratio, suggested))
    found.sort(key=lambda item: item.ratio, reverse=True)
    return found[:limit]
