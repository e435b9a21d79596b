"""The victim's safe-contact profile, kept by her SAPV contact (DOMAIN §5): her consent, safe
hours, detail level and code word (services.py), her phone number (phone.py), and the API."""
