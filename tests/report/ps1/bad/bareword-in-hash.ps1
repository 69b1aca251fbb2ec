$params = @{
    MethodName = SetWindowsServiceIdentity
}
Invoke-CimMethod @params
