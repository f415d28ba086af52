import { describe, expect, test } from 'vitest';
import { describeDetails } from './details';

describe('describeDetails', () => {
  const check = (details: string, expected: string) => expect(describeDetails(details)).toBe(expected);

  test('an object becomes key: value pairs in the recorded order', () => {
    check('{"roles":["reviewer","approver"],"user":"wang"}', 'roles: reviewer, approver · user: wang');
    check('{"user":"zhao"}', 'user: zhao');
    check('{"consecutive_failures":1,"why":"wrong passphrase"}', 'consecutive_failures: 1 · why: wrong passphrase');
  });

  test('nested objects, nulls and booleans read as text', () => {
    check('{"by_category":{"classification":1,"personal":2},"findings":3}', 'by_category: classification 1, personal 2 · findings: 3');
    check('{"comment":null,"materialized_builtin_rules":true}', 'comment: — · materialized_builtin_rules: true');
    check('{"code":"export_control","zh":"出口管制"}', 'code: export_control · zh: 出口管制');
  });

  test('nothing, scalars and text that is not JSON', () => {
    check('', '');
    check('  ', '');
    check('"just text"', 'just text');
    check('[1,2]', '1, 2');
    check('{not json', '{not json');
  });
});
