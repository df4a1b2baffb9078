"""DeskForms: dynamic forms sent as DeskHero tickets."""

__version__ = "0.1.0"
