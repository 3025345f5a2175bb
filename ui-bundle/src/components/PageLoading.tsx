import { Flex, Spin } from 'antd';

export function PageLoading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Flex align="center" justify="center" style={{ minHeight: 240 }}>
      <Spin tip={label} size="large">
        <div style={{ width: 120, height: 60 }} />
      </Spin>
    </Flex>
  );
}
