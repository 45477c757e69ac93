"""The test suite: fast hashing, in-memory SQLite unless DATABASE_URL names PostgreSQL."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]

# Background jobs run at once, inside the request or command that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}

# Attached files of the suite never land in the checkout's var/: tests/conftest.py gives each test
# its own folder, and this one catches what runs outside a test (module-scoped demo builds).
STORAGES = {
    **STORAGES,  # noqa: F405
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(tempfile.gettempdir()) / "amdesk-test-attachments"},  # noqa: F405
    },
}
