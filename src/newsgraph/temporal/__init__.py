"""Time: the grammar and normaliser of time expressions, the publication-date estimate
and the article timeline."""
