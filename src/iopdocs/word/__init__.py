"""The Word layer: everything that knows the .docx package, docxtpl and the Jinja environment.

Templates compiled and rendered (``docx``, ``compiled``, ``environment``; compiled templates kept
on disk per user by ``diskcache``), the zip package and its
parts (``package``, ``fixes``), the draft watermark, custom XML parts and properties
(``customxml``), tracked changes between two renderings (``redline``), and reading and checking a
template's tags (``tags``, ``tagchecks``). It knows nothing of IOP: the documents above it supply
the data, the filters and the wording.
"""
