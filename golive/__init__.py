"""golive: a compliance gate for services that send email through Amazon SES."""

__version__ = "0.1.0"
