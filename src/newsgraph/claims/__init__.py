"""Claims: check-worthy statements in a report, scored by a small packaged classifier."""
