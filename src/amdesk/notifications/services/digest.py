"""The daily digest e-mail: once per user and day (DigestLog), from the settings' hour on, listing
his unread notifications of the last day (not listed in an earlier digest) in the kinds he has not
switched off. Users without an e-mail address, or who turned the digest off, get none."""

from datetime import timedelta

from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amdesk.orgs.models import Staff

from ..models import DigestLog, Notification, NotificationPreference, NotificationSettings


def notifications_digest(*, now=None, force: bool = False) -> int:
    """Send today's digests not sent yet; returns how many went out. Before the digest hour nothing
    is sent unless `force` (the command's --force)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    if not force and local.hour < NotificationSettings.current().digest_hour:
        return 0
    since = now - timedelta(days=1)
    prefs = {p.user_id: p for p in NotificationPreference.objects.all()}
    already = set(DigestLog.objects.filter(day=today).values_list("user_id", flat=True))
    # Nothing twice: what the previous digest listed is not listed again.
    last_sent = dict(
        DigestLog.objects.filter(sent_at__gt=since)
        .values("user_id")
        .annotate(last=Max("sent_at"))
        .values_list("user_id", "last")
    )
    unread = (
        Notification.objects.filter(read_at__isnull=True, created_at__gte=since, created_at__lte=now)
        .exclude(user_id__in=already)
        .exclude(user_id__in=[uid for uid, p in prefs.items() if not p.digest])
        .order_by("user_id", "-created_at", "-id")
    )
    by_user: dict[int, list[Notification]] = {}
    for item in unread:
        muted = prefs[item.user_id].muted_kinds if item.user_id in prefs else []
        if item.kind not in muted and item.created_at > last_sent.get(item.user_id, since):
            by_user.setdefault(item.user_id, []).append(item)
    if not by_user:
        return 0
    users = Staff.objects.filter(pk__in=by_user, is_active=True).exclude(email="")
    sent = 0
    with translation.override(django_settings.LANGUAGE_CODE):
        for user in users:
            items = by_user[user.pk]
            try:
                with transaction.atomic():
                    DigestLog.objects.create(user=user, day=today, sent_at=now, items=len(items))
            except IntegrityError:  # another run sent it meanwhile
                continue
            context = {"user": user, "items": items, "day": today}
            send_mail(
                subject=_("AMDesk: %(n)d new notifications") % {"n": len(items)},
                message=render_to_string("notifications/digest.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
    return sent
