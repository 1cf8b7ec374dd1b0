"""Pieces every part of Diaodu shares: the number formatter (:mod:`.numbers`) and the table
writer (:mod:`.tables`)."""
