"""A realistic demo: one justice house, Praxis, a police zone, an SAPV, about ten cases.

load.py loads it through the real services; the other modules hold its organisations and
people, its cases, its interpreters, its programme group and its victims' safe contacts.
"""
