import { bilingualHttpMessage, forbidden, notFound } from '../../../src/common/domain-error';

test('notFound reads 中文 / English, the English half unchanged', () => {
  expect(notFound('case').message).toBe('个案不存在或不在您的管辖范围内 / case not found');
  expect(notFound('staff member').message).toBe('工作人员不存在或不在您的管辖范围内 / staff member not found');
  expect(notFound('org unit 110101').message).toBe('单位 110101不存在或不在您的管辖范围内 / org unit 110101 not found');
  expect(notFound('人员 / person').message).toBe('人员不存在或不在您的管辖范围内 / person not found');
  expect(notFound('gizmo').message).toBe('记录不存在或不在您的管辖范围内 / gizmo not found');
  expect(notFound('case').status).toBe(404);
});

test('forbidden() defaults to a bilingual reason', () => {
  expect(forbidden().message).toBe('超出您的角色或辖区 / outside your role or area');
});

test("Nest's English-only texts get a Chinese summary; texts with Chinese pass unchanged", () => {
  expect(bilingualHttpMessage(400, 'limit must not be greater than 500')).toBe('请求内容不符合要求，请检查填写的内容 / limit must not be greater than 500');
  expect(bilingualHttpMessage(404, 'Cannot GET /x')).toBe('请求的接口或记录不存在 / Cannot GET /x');
  expect(bilingualHttpMessage(400, '课时最多 4 / hours must be at most 4')).toBe('课时最多 4 / hours must be at most 4');
  expect(bilingualHttpMessage(418, 'teapot')).toBe('请求未能完成 / teapot');
});
