"""Developer and demo machine: `make run`."""

from .base import *  # noqa: F403
from .base import env_bool

# Off unless asked for (DEBUG=1): people trying the demo get the product's Chinese error pages, not
# Django's debug pages; WhiteNoise (finders on) serves static files either way.
DEBUG = env_bool("DEBUG", False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
