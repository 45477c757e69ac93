"""Appraisal 绩效考核: the indicator library, fuzzy membership + AHP scoring, appraisal periods,
ladder moves, pay components, DISC job fit, training credits, team selling and staffing ratios."""
