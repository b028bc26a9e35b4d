import { render } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { Staff } from '../api/auth';
import { StaffContext } from '../session';

/**
 * A page as the shell shows it, at `url` matched against its registered `path`: zh_CN antd with
 * buttons keeping their text (main.tsx's settings), antd's App for messages, and a logged-in user.
 */
export function renderPage(
  element: ReactElement,
  { path, url, staff }: { path: string; url: string; staff?: Staff },
) {
  const user: Staff = staff ?? {
    id: 1,
    username: 'demo-admin',
    display_name: 'demo-admin',
    roles: ['admin'],
  };
  return render(
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }}>
      <AntApp>
        <StaffContext.Provider value={user}>
          <MemoryRouter initialEntries={[url]}>
            <Routes>
              <Route path={path} element={element} />
            </Routes>
          </MemoryRouter>
        </StaffContext.Provider>
      </AntApp>
    </ConfigProvider>,
  );
}
