"""The printed documents: the compliance report to the authority, the summons letter and its
calendar file, and the rendering they share (templates, PDF)."""
