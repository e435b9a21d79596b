"""Notification settings: production refuses to start without a way to send."""

from __future__ import annotations

import pytest

from perp_track.config import ConfigurationError, load_settings

PRODUCTION = {
    "env": "production",
    "secret_key": "s" * 40,
    "database_url": "postgresql://perp@db/perp",
    "public_base_url": "https://perp-track.example",
}


def test_production_needs_twilio_and_smtp():
    with pytest.raises(ConfigurationError) as error:
        load_settings(**PRODUCTION)
    message = str(error.value)
    assert "TWILIO_ACCOUNT_SID" in message
    assert "TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID" in message
    assert "SMTP_HOST" in message


def test_production_with_a_messaging_service():
    settings = load_settings(
        **PRODUCTION,
        twilio_account_sid="AC" + "1" * 32,
        twilio_auth_token="t" * 32,
        twilio_messaging_service_sid="MG" + "1" * 32,
        smtp_host="smtp.example",
    )
    assert settings.twilio_configured
    assert settings.twilio_api_base_url == "https://api.twilio.com"


def test_development_starts_without_them():
    settings = load_settings(env="development")
    assert not settings.twilio_configured
