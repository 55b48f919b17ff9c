"""pgtext: code open Dutch survey answers into codebook themes, locally."""

__version__ = "0.1.0"
