"""Administration pages without the Django admin (issue 19): users and invitations, teams
and their members, services, and links to the settings pages other apps own.

Site admins reach every page; a team admin reaches their own teams' members and services.
Every change is written to the audit log (``kintsugi.reviews``' ``AuditEntry``).
"""
