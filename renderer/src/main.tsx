import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { createRoot } from 'react-dom/client';
import { Root } from './Root';
import './styles.css';

dayjs.locale('zh-cn');

const container = document.getElementById('root');
if (!container) throw new Error('页面缺少 #root 容器');
createRoot(container).render(<Root />);
