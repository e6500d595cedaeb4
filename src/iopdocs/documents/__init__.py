"""What goes into the documents iopdocs writes, before any Word file is touched: the contract's
clause library (``clauses``) and, as the render package moves here, the contexts and formats."""
