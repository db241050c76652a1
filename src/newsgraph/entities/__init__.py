"""Entities and linking: spaCy's NER combined with the knowledge base (component.py),
its tables (tables.py, data/)."""
