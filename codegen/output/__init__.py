"""The output folder's machinery: the writer that compares and swaps generated files in
(``write``), the stamp of the fast path (``stamp``), the cache of reader and render results
(``cache``), the seal that makes the cache folder's files believable and the staging folder
in it (``seal``), the one atomic file write they all use (``atomic``), what a run that
stopped part way leaves and how the next finds it (``journal``), and the check that no link
leads out of a folder (``within``, which the readers use too).

Nothing is imported here: the readers import ``within`` without the rest.
"""
