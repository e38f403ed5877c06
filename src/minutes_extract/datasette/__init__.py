"""Datasette support: the plugin (an entry point of the package), metadata and page images.

Installing minutes-extract installs the plugin, so plain `datasette minutes.db` and a
`datasette publish` that installs the package get the SQL functions, metadata, canned
queries and page images without further options.
"""
