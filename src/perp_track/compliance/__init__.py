"""Compliance per condition, measure and case (rules.py, pure): what the caseload, the case page,
the API and the report to the authority show."""
