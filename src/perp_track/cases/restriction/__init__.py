"""Restricted cases: a case seen only by the users named on it (HMPPS's limited-access
offenders). The filter every read applies lives in the kernel (cases/access.py); this package
marks and unmarks a case, keeps its list, and records refused attempts."""
