import { useEffect, useRef } from 'react';

export interface Shortcut {
  /** KeyboardEvent.key, compared case-insensitively. */
  key: string;
  ctrl?: boolean;
  alt?: boolean;
  shift?: boolean;
  /** When given and false, the key keeps its ordinary meaning (? typed into a field). */
  when?: () => boolean;
  run: () => void;
}

/**
 * Window-wide keyboard shortcuts; the browser's own meaning of the key (Ctrl+O opens a file) is
 * suppressed. `shift` unset matches with or without Shift, so Shift+F8 can be its own shortcut
 * only where one asks for it.
 */
export function useShortcuts(shortcuts: Shortcut[], enabled = true): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.repeat) return;
      const hit = latest.current.find(
        (s) => s.key.toLowerCase() === event.key.toLowerCase() && !!s.ctrl === (event.ctrlKey || event.metaKey) && !!s.alt === event.altKey && (s.shift === undefined || s.shift === event.shiftKey),
      );
      if (!hit || (hit.when && !hit.when())) return;
      event.preventDefault();
      hit.run();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}

/** Every chord of the counter, as the help overlay (F1 or ?) lists them. */
export const COUNTER_CHORDS: readonly { keys: string; what: string; where: string }[] = [
  { keys: '扫描凭条', what: '在任何页面扫描签章凭条：按凭条发放名单新建办证（单位、年度、证书类型已填好）', where: '任何页面' },
  { keys: '扫描证书编号', what: '在任何页面扫描证书编号：打开证书台账中的该证书', where: '任何页面' },
  { keys: 'Enter', what: '新建办证：跳到下一个未填的必填项；必填项都已填好时创建办证', where: '新建办证' },
  { keys: 'Ctrl+O', what: '导入发证名册', where: '办证' },
  { keys: 'F8 / Shift+F8', what: '下一个 / 上一个有问题的行', where: '办证' },
  { keys: 'F9', what: '确认全部警告（常用理由已选好，回车确认）', where: '办证' },
  { keys: 'Ctrl+Enter', what: '签章：先确认尚未确认的警告和凭条数量，再确认签章；签章后打开登记表，焦点在“打印”', where: '办证' },
  { keys: 'Ctrl+P', what: '打印本次办证的印章使用登记表', where: '已签章的办证' },
  { keys: 'F2', what: '修改办证信息（凭条、经办人、签字人），须填写理由', where: '办理中的办证' },
  { keys: 'Alt+1 … Alt+9, Alt+0', what: '办证、名单管理、登记簿、设置、证书库存、补换与确认、预审、抽查、统计、账户', where: '任何页面' },
  { keys: 'Ctrl+L', what: '锁定屏幕', where: '任何页面' },
  { keys: 'F1 或 ?', what: '显示本帮助', where: '任何页面' },
];
