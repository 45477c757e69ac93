from .client import Client, ClientChange, ClientOwnership, ClientSearchKey
from .contacts import Contact
from .imports import ImportJob, ImportProblem, ImportRow
from .reference import (
    ArchiveRequirement,
    ClientSettings,
    CreditRatingClass,
    CreditRatingItem,
    Product,
    ProductLine,
    Tag,
    VipLevel,
)
from .value import AumSnapshot, CreditRating, Holding

__all__ = [
    "ArchiveRequirement",
    "AumSnapshot",
    "Client",
    "ClientChange",
    "ClientOwnership",
    "ClientSearchKey",
    "ClientSettings",
    "Contact",
    "CreditRating",
    "CreditRatingClass",
    "CreditRatingItem",
    "Holding",
    "ImportJob",
    "ImportProblem",
    "ImportRow",
    "Product",
    "ProductLine",
    "Tag",
    "VipLevel",
]
