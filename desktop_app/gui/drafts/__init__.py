"""The Drafts page (every unsent form, live from the store) and restoring work after a crash."""

from desktop_app.gui.drafts.model import DraftsModel
from desktop_app.gui.drafts.page import DraftsPage
from desktop_app.gui.drafts.restore import RestorePrompt, offer_restore

__all__ = ["DraftsModel", "DraftsPage", "RestorePrompt", "offer_restore"]
