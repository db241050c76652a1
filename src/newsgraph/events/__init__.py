"""Political events: the PLOVER lexicon, actor codes and the event coder's helpers."""
