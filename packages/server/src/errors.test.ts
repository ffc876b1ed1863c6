import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreError } from '@strata/core';
import { ConnectorError } from '@strata/connectors';
import { QualityError } from '@strata/quality';
import { errorResponse } from './errors.ts';

describe('errorResponse', () => {
  it('maps every package error to a status with its code and retryable flag', () => {
    assert.equal(errorResponse(new CoreError('CORE_RUN_NOT_FOUND', 'no run x')).status, 404);
    const invalid = errorResponse(new QualityError('QUALITY_INVALID_DEFINITION', 'check 1: range needs min'));
    assert.deepEqual(invalid, { status: 400, body: { error: { code: 'QUALITY_INVALID_DEFINITION', message: 'check 1: range needs min', retryable: false } } });
    assert.equal(errorResponse(new ConnectorError('CONNECTOR_HTTP', 'GET /x: 503')).status, 503);
    assert.equal(errorResponse(new Error('boom')).body.error.code, 'INTERNAL');
  });
});
