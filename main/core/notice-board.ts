/** Notices main wants the user to read, kept until dismissed so a late window still sees them. */
import type { Notice } from '../../common/ipc-contract.ts';

export class NoticeBoard {
  private notices: Notice[] = [];
  private counter = 0;

  constructor(private readonly publish: (notice: Notice) => void) {}

  post(level: Notice['level'], text: string): Notice {
    const notice: Notice = { id: `n${++this.counter}`, level, text };
    this.notices.push(notice);
    this.publish(notice);
    return notice;
  }

  dismiss(id: string): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  list(): Notice[] {
    return [...this.notices];
  }
}
