"""Shared helpers below the capabilities: views of a parsed Doc (sentences, positions),
quote marks, office titles, tense, the Doc extensions the layers are kept in, and long
texts in pieces. Nothing here knows a capability."""
