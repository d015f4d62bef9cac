from golive.evidence.redact import redact


def test_access_keys_are_masked_but_recognisable():
    key = "AKIA" + "IOSFODNN7EXAMPLE"  # AWS's documented example key, built here so no key-shaped text is in git
    assert redact(f"key {key} used") == "key AKIA************MPLE used"


def test_secret_values_and_url_passwords_are_masked():
    found = redact(
        {
            "a": ["aws_secret_access_key=" + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
            "b": "postgres://app:s3cr3t@db.example:5432/x",
        }
    )
    assert found == {"a": ["aws_secret_access_key=***"], "b": "postgres://app:***@db.example:5432/x"}


def test_text_without_secrets_is_unchanged():
    text = "arn:aws:iam::123456789012:role/bizassist-api is not allowed ses:SendEmail"
    assert redact(text) == text
