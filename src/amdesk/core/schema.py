"""How the API's choices appear in the OpenAPI schema: as enums of their values, never as prose.

- Choice fields (core.params.ChoiceField, `choice_of`) are enums; drf-spectacular names each choice
  set's component, and SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] names those whose field name
  (`state`, `kind`) carries several sets across the apps.
- A `SlugRelatedField` over preset data (tiers, grades, VIP levels, products, attachment categories)
  is published as an enum of the slugs in the database when the schema is generated, so the schema
  follows what the admin configured. A table too large to list stays a plain string.
"""

from django.db import DatabaseError
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

# Past this many rows a related field is a lookup in a large table, not a choice.
DATA_ENUM_MAX = 200


class DataSlugFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "rest_framework.relations.SlugRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = build_basic_type(OpenApiTypes.STR)
        queryset = self.target.get_queryset() if direction == "request" else None
        if queryset is None:
            return schema
        slugs = queryset.order_by(self.target.slug_field).values_list(self.target.slug_field, flat=True)
        try:
            values = [str(value) for value in slugs[: DATA_ENUM_MAX + 1]]
        except DatabaseError:  # the schema generated without a database (`amdesk spectacular`)
            return schema
        if 0 < len(values) <= DATA_ENUM_MAX:
            schema["enum"] = values
        return schema
