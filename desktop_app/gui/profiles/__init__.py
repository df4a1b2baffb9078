"""The Profiles page: DeskHero tenant profiles, connection tests, form import, sandbox controls."""

from desktop_app.gui.profiles.page import ProfilesPage

__all__ = ["ProfilesPage"]
