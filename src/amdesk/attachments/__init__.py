"""Attachments 附件: ID-card copies, deposit slips, signed forms and on-site photos kept with clients,
visits, quality tickets and post-loan inspections. See docs/adr/ (attachments) for the decisions."""
