"""sesv2 tenants on the embedded account (moto has none): tenants, their resource
associations, and ListResourceTenants, in the API's shapes and with its errors."""

from __future__ import annotations

import pytest
from moto_clients import auditor_client, output_shape, shape_errors

ADMIN = {
    "inline": {"admin": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
}
ARN = "arn:aws:ses:us-east-1:123456789012:identity/"
WORLD = {
    "regions": {
        "us-east-1": {
            "ses": {
                "identities": {"glassdome.example": None, "other.example": None},
                "tenants": {
                    "xisx": {"identities": ["glassdome.example"]},
                    "acme": {"identities": ["glassdome.example"]},
                },
            }
        },
        "us-west-2": {"ses": {"identities": {"glassdome.example": None}}},
    }
}


def test_list_resource_tenants_names_every_tenant_of_the_identity(embedded):
    sesv2 = auditor_client(embedded(WORLD), "sesv2", "us-east-1")
    response = sesv2.list_resource_tenants(ResourceArn=ARN + "glassdome.example")
    assert shape_errors(response, output_shape("sesv2", "ListResourceTenants")) == []
    assert sorted(t["TenantName"] for t in response["ResourceTenants"]) == ["acme", "xisx"]
    assert {t["ResourceArn"] for t in response["ResourceTenants"]} == {ARN + "glassdome.example"}
    assert sesv2.list_resource_tenants(ResourceArn=ARN + "other.example")["ResourceTenants"] == []


def test_tenants_are_regional(embedded):
    sesv2 = auditor_client(embedded(WORLD), "sesv2", "us-west-2")
    arn = "arn:aws:ses:us-west-2:123456789012:identity/glassdome.example"
    assert sesv2.list_resource_tenants(ResourceArn=arn)["ResourceTenants"] == []


def test_creating_tenants_and_associations_answers_with_the_api_errors(embedded):
    sesv2 = auditor_client(embedded({**WORLD, "auditor": ADMIN}), "sesv2", "us-east-1")
    created = sesv2.create_tenant(TenantName="newco")
    assert shape_errors(created, output_shape("sesv2", "CreateTenant")) == []
    assert created["TenantArn"] == f"arn:aws:ses:us-east-1:123456789012:tenant/newco/{created['TenantId']}"
    with pytest.raises(sesv2.exceptions.AlreadyExistsException):
        sesv2.create_tenant(TenantName="newco")
    associated = sesv2.create_tenant_resource_association(TenantName="newco", ResourceArn=ARN + "other.example")
    assert shape_errors(associated, output_shape("sesv2", "CreateTenantResourceAssociation")) == []
    with pytest.raises(sesv2.exceptions.NotFoundException):
        sesv2.create_tenant_resource_association(TenantName="nobody", ResourceArn=ARN + "other.example")
    with pytest.raises(sesv2.exceptions.NotFoundException):
        sesv2.create_tenant_resource_association(TenantName="newco", ResourceArn=ARN + "missing.example")
