"""Built-in plugin for theme 3: werkstress en burn-out: its theme, clauses and definitions.

It uses only clausegen's public API, exactly as a sector's plugin would: all of its content
is files, so it is one ContentPlugin over its folder.
"""
from clausegen import ContentDir, ContentPlugin

plugin = ContentPlugin(ContentDir.package("clausegen.clauses", "werkdruk"))
