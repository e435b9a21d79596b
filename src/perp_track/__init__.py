"""perp-track: alternative measures for perpetrators of domestic violence and their feedback."""

__version__ = "0.1.0"
