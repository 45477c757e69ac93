"""Model fields shared by the apps."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property

from .limits import TEXT_MAX


class NoteField(models.TextField):
    """Free text a person writes (notes, opinions, descriptions, comments): at most TEXT_MAX
    characters (core.limits). Checked by `full_clean` (so by every service, whatever the caller: page,
    API, import) and by the forms built from the model, whose textarea also gets `maxlength`.
    A plain TextField takes megabytes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX)
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length)]
