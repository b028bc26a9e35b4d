import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Guarded, Home } from './layout/Guarded';
import { Shell } from './layout/Shell';
import LoginPage from './pages/login/LoginPage';
import NotFound from './pages/NotFound';
import { PAGES } from './routes';
import './app.css';
import './time';

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <Home /> },
      ...PAGES.map((page) => ({ path: page.path, element: <Guarded page={page} /> })),
      { path: '*', element: <NotFound /> },
    ],
  },
]);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {/* Two-character buttons keep their text as written (antd would show 登录 as 登 录). */}
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }}>
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
