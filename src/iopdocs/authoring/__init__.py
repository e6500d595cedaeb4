"""Template authoring: listing, exporting and linting Word templates against the documents' data.

It checks templates against the contexts of the IOP documents, so it sits above
``iopdocs.documents``; nothing below imports it.
"""
