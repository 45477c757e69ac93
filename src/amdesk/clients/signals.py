"""Signals of the client archive, for other capabilities to follow what happens to clients."""

from django.dispatch import Signal

# Sent by services.archive.client_handover inside its transaction, after the clients moved.
# Keyword arguments: client_ids (the ids of the clients that changed owner), to_staff (the new
# owner), actor (who handed them over), request (or None). Receivers run in the same transaction:
# an error in one rolls the handover back.
clients_handed_over = Signal()
