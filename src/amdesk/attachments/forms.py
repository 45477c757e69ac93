from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttachmentCategory


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)  # the service says "empty" itself
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=AttachmentCategory.objects.filter(is_active=True),
        empty_label=_("Choose a category"),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason for deletion"), max_length=200)
