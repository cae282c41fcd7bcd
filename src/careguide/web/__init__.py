"""The CareGuide web site and JSON API (Django)."""
