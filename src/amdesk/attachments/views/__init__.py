from .pages import attachment_delete_view, attachment_download_view, panel_view

__all__ = ["attachment_delete_view", "attachment_download_view", "panel_view"]
