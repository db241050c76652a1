"""``python -m newsgraph`` and ``spark-submit .../newsgraph/__main__.py``: the CLI."""

from newsgraph.cli import main

if __name__ == "__main__":
    main()
