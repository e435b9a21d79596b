"""The justice assistant's caseload: the reads, the attention rules applied, the team view."""
