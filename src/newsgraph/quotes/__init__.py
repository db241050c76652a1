"""Quotes and sources: direct, indirect, mixed and floating quotes with their speakers and
source descriptors (component.py, data/)."""
