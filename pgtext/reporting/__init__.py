"""Stage: what gets published: counts per theme, group and wave; rendering as text, Markdown, Word and charts;
discovery of new themes. (Named reporting, not report, so that ``pgtext.report`` stays the Python API function.)
"""
