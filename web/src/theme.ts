import type { ThemeConfig } from 'antd';

/**
 * antd's default palette, darkened where its text colours fall below WCAG AA (4.5:1) on white:
 * primary #1677ff (4.1:1) → #0958d9 (6.2:1), error #ff4d4f (3.3:1) → #cf1322 (5.6:1), secondary
 * and placeholder text from 45 %/25 % black to 65 %/60 % black. Focus rings stay visible.
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    colorError: '#cf1322',
    colorInfo: '#0958d9',
    // Status colours: icons at least 3:1 on white (WCAG 1.4.11), light backgrounds kept explicit.
    colorSuccess: '#389e0d',
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorWarning: '#d46b08',
    colorWarningBg: '#fffbe6',
    colorWarningBorder: '#ffe58f',
    colorErrorBg: '#fff2f0',
    colorErrorBorder: '#ffccc7',
    colorInfoBg: '#e6f4ff',
    colorInfoBorder: '#91caff',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
    fontSize: 15,
    borderRadius: 6,
  },
  components: {
    Layout: { headerBg: '#ffffff', headerPadding: '0 16px', bodyBg: '#f5f6f8' },
    Menu: { itemSelectedColor: '#003eb3', itemSelectedBg: '#e6f4ff' },
  },
};
