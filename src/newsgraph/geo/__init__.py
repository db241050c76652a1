"""Places: the offline gazetteer, toponym resolution and the geo component."""
